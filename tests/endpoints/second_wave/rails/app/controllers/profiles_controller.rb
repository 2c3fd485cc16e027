class ProfilesController < ApplicationController
  def show
  end

  def edit
  end

  def update
    current_user.update!(params.require(:profile).permit(:name))
  end
end
