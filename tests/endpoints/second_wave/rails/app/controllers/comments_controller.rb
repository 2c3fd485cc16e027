class CommentsController < ApplicationController
  def index
    @comments = Article.find(params[:article_id]).comments
  end

  def create
    Article.find(params[:article_id]).comments.create!(params.require(:comment).permit(:body))
  end

  def destroy
    Comment.find(params[:id]).destroy
  end
end
